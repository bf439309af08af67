import Foundation

// The form page's views as Mustache dictionaries, built directly: the same
// keys and values ``MustacheFields/flatten(_:)`` reflected out of them (a
// test renders both ways and compares), without a Mirror per value. A
// field's message that is nil is false rather than absent (``setOrFalse``):
// the same in a section, without a climb up the context stack.

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
        fields.setOrFalse("themesError", themesError)
        fields.setOrFalse("otherThemeError", otherThemeError)
        return fields
    }
}

extension ReviewFieldsView.ActionRow: MustacheFieldsProvider {
    var mustacheFields: [String: Any] {
        var fields: [String: Any] = [
            "index": index, "number": number, "id": id, "description": description, "owner": owner,
            "agencyOptions": agencyOptions, "due": due, "done": done, "isBlank": isBlank,
        ]
        fields.setOrFalse("descriptionError", descriptionError)
        fields.setOrFalse("ownerError", ownerError)
        fields.setOrFalse("agencyError", agencyError)
        fields.setOrFalse("dueError", dueError)
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
        if let weekDays { fields["weekDays"] = weekDays.mustacheFields }
        fields.setOrFalse("reasonsError", reasonsError)
        fields.setOrFalse("primaryError", primaryError)
        fields.setOrFalse("q1NarrativeError", q1NarrativeError)
        fields.setOrFalse("actionsError", actionsError)
        fields.setOrFalse("eddError", eddError)
        fields.setOrFalse("pathwayError", pathwayError)
        fields.setOrFalse("q3NarrativeError", q3NarrativeError)
        fields.setOrFalse("statusError", statusError)
        fields.setOrFalse("healthError", healthError)
        fields.setOrFalse("socialCareError", socialCareError)
        fields.setOrFalse("outcomeError", outcomeError)
        fields.setOrFalse("askError", askError)
        return fields
    }
}

extension WeekDaysView: MustacheFieldsProvider {
    var mustacheFields: [String: Any] {
        ["summary": summary, "totals": totals, "boardRoundHref": boardRoundHref]
    }
}

extension FormHeading: MustacheFieldsProvider {
    var mustacheFields: [String: Any] {
        var fields: [String: Any] = [
            "formID": formID, "caseReference": caseReference, "patient": patient, "nhsNumber": nhsNumber, "age": age,
            "los": los, "badges": badges.map(\.mustacheFields), "admitted": admitted, "ward": ward, "wardHref": wardHref,
            "site": site, "weekLabel": weekLabel, "deadline": deadline, "status": status, "statusClass": statusClass,
            "discharged": discharged, "sinceReview": sinceReview,
        ]
        fields.setPresent("lastSaved", lastSaved)
        return fields
    }
}

extension ErrorLink: MustacheFieldsProvider {
    var mustacheFields: [String: Any] {
        ["href": href, "message": message]
    }
}

extension FormPage: MustacheFieldsProvider {
    var mustacheFields: [String: Any] {
        var fields: [String: Any] = [
            "heading": heading.mustacheFields,
            "fields": self.fields.mustacheFields,
            "errors": errors.map(\.mustacheFields),
            "hasErrors": hasErrors,
        ]
        fields.setPresent("notice", notice)
        fields.setPresent("nextHref", nextHref)
        return fields
    }
}
