import Foundation

// The form page's views as Mustache dictionaries, built directly: the same
// keys and values ``MustacheFields/flatten(_:)`` reflected out of them (a
// test renders both ways and compares), without a Mirror per value.

extension Choice: MustacheFieldsProvider {
    var mustacheFields: [String: Any] {
        ["value": value, "label": label, "selected": selected, "id": id]
    }
}

extension LoSBadge: MustacheFieldsProvider {
    var mustacheFields: [String: Any] {
        ["label": label, "tone": tone, "title": title]
    }
}

extension ReviewFieldsView.Reason: MustacheFieldsProvider {
    var mustacheFields: [String: Any] {
        ["code": code, "label": label, "agency": agency, "checked": checked, "primary": primary, "index": index]
    }
}

extension ThemePickerView.Theme: MustacheFieldsProvider {
    var mustacheFields: [String: Any] {
        ["index": index, "code": code, "label": label, "agency": agency, "checked": checked, "suggested": suggested]
    }
}

extension ThemePickerView: MustacheFieldsProvider {
    var mustacheFields: [String: Any] {
        var fields: [String: Any] = [
            "themeRows": themeRows,
            "hasSuggestions": hasSuggestions,
            "otherTheme": otherTheme,
        ]
        fields.setPresent("themesError", themesError)
        fields.setPresent("otherThemeError", otherThemeError)
        return fields
    }
}

extension ReviewFieldsView.ActionRow: MustacheFieldsProvider {
    var mustacheFields: [String: Any] {
        var fields: [String: Any] = [
            "index": index, "number": number, "id": id, "description": description, "owner": owner,
            "agencyOptions": agencyOptions, "due": due, "done": done, "isBlank": isBlank,
        ]
        fields.setPresent("descriptionError", descriptionError)
        fields.setPresent("ownerError", ownerError)
        fields.setPresent("agencyError", agencyError)
        fields.setPresent("dueError", dueError)
        return fields
    }
}

extension ReviewFieldsView: MustacheFieldsProvider {
    var mustacheFields: [String: Any] {
        var fields: [String: Any] = [
            "formAction": formAction,
            "version": version,
            "updatedBy": updatedBy,
            "reasonRows": reasonRows,
            "q1Narrative": q1Narrative,
            "actions": actions,
            "actionRows": actionRows,
            "expectedDischargeDate": expectedDischargeDate,
            "pathwayOptions": pathwayOptions,
            "q3Narrative": q3Narrative,
            "themePicker": themePicker.mustacheFields,
            "dayStatuses": dayStatuses.map(\.mustacheFields),
            "healthReviewer": healthReviewer,
            "socialCareReviewer": socialCareReviewer,
            "outcomes": outcomes.map(\.mustacheFields),
            "ask": ask,
        ]
        if let weekDays { fields["weekDays"] = MustacheFields.flatten(weekDays) }
        fields.setPresent("reasonsError", reasonsError)
        fields.setPresent("primaryError", primaryError)
        fields.setPresent("q1NarrativeError", q1NarrativeError)
        fields.setPresent("actionsError", actionsError)
        fields.setPresent("eddError", eddError)
        fields.setPresent("pathwayError", pathwayError)
        fields.setPresent("q3NarrativeError", q3NarrativeError)
        fields.setPresent("statusError", statusError)
        fields.setPresent("healthError", healthError)
        fields.setPresent("socialCareError", socialCareError)
        fields.setPresent("outcomeError", outcomeError)
        fields.setPresent("askError", askError)
        return fields
    }
}
