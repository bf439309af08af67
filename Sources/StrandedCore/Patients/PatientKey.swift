/// Which patient a ward list row is about, within its site: the NHS number
/// when the row has one, otherwise the local patient id the site gave.
///
/// Stored as text, `N:` + the ten digits or `L:` + the local id, in
/// `list_row.patient_key` and `patient_case.patient_key`. The site is not part
/// of the stored key because every table that holds it holds `site_id` beside
/// it: a case is (site, patient key, admission date), so a local id that two
/// sites happen to share never merges their patients. The prefix keeps an NHS
/// number and a local id that are the same digits apart.
///
/// The key is built here and nowhere else; SQL receives it precomputed (COPY
/// and bind parameters) and only ever compares it.
public enum PatientKey: Hashable, Sendable, CustomStringConvertible {
    /// National: the same person at any site, which is what links stays into a journey.
    case nhsNumber(NHSNumber)
    /// Only meaningful at the site that issued it.
    case localPatientID(String)

    /// The NHS number wins when there is one; nil when the row has neither.
    public init?(nhsNumber: NHSNumber?, localPatientID: String?) {
        if let nhsNumber {
            self = .nhsNumber(nhsNumber)
        } else if let localPatientID {
            self = .localPatientID(localPatientID)
        } else {
            return nil
        }
    }

    /// The text kept in the database's `patient_key` columns.
    public var stored: String {
        switch self {
        case .nhsNumber(let number): "N:" + number.digits
        case .localPatientID(let id): "L:" + id
        }
    }

    /// The stored form: it carries an NHS number, so it is for the database
    /// and tests, never for logs.
    public var description: String { stored }

    /// The patient as compared across the sites of one list: an NHS number
    /// means the same person wherever it appears, a local id only at its own
    /// site. Nil for a local id whose site is unknown, since it cannot then be
    /// matched with anything.
    public func acrossSites(siteID: Int64?) -> PatientAcrossSites? {
        switch self {
        case .nhsNumber: return PatientAcrossSites(key: self, siteID: nil)
        case .localPatientID:
            guard let siteID else { return nil }
            return PatientAcrossSites(key: self, siteID: siteID)
        }
    }
}

/// A ``PatientKey`` with the site added where the key alone does not say who
/// the patient is (a local id); see ``PatientKey/acrossSites(siteID:)``.
public struct PatientAcrossSites: Hashable, Sendable {
    public let key: PatientKey
    /// Nil for an NHS number, which needs no site.
    public let siteID: Int64?
}
