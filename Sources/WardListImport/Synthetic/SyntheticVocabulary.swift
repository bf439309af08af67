/// The words the synthetic system is made of. Family names are deliberately
/// made-up and read as such, so no one mistakes a demo screen for real data.
enum SyntheticVocabulary {
    static let familyNames = [
        "Testwood", "Sampleford", "Mockridge", "Dummett", "Exampleton", "Demoworth", "Synthby",
        "Fakesley", "Placeholder", "Fictionhurst", "Notreal", "Pretendwell", "Specimen", "Madeup",
        "Trialby", "Fauxbury", "Imaginary", "Mockley", "Samplewick", "Testbourne", "Datafield",
        "Prototype", "Inventon", "Stubbings", "Fixturely", "Dummerton", "Seedwell", "Randomley",
        "Makebelieve", "Notaperson", "Testcase", "Synthwaite",
    ]

    static let givenNames = [
        "Ada", "Albert", "Beryl", "Cyril", "Doris", "Edna", "Ernest", "Florence", "Gladys", "Harold",
        "Ivy", "Jean", "Kenneth", "Lilian", "Mabel", "Norman", "Olive", "Percy", "Queenie", "Ronald",
        "Sylvia", "Stanley", "Vera", "Walter", "Winifred", "Arthur", "Brenda", "Dennis", "Eileen", "Frank",
        "Maureen", "Trevor", "Pauline", "Derek", "Hazel", "Leslie",
    ]

    /// A given name with a comma, so every list exercises RFC 4180 quoting. Rare.
    static let givenNameWithComma = "O'Neil, Jr"

    static let places = [
        "Ashbury", "Brackenford", "Caldermoor", "Dunmere", "Elmsworth", "Fernhollow", "Greyhaven",
        "Hollinsby", "Kestrelby", "Lowmarsh", "Millbeck", "Northwold", "Oakhurst", "Pebbleton",
        "Quarrydale", "Rookwood", "Saltmere", "Thornwick", "Upperby", "Valewater", "Westerleigh",
        "Yarrowfield", "Amberley Vale", "Birchcombe", "Coldharbour", "Dovecote", "Eastling", "Foxmoor",
        "Glenbrook", "Hartwell", "Ironbridge Vale", "Juniper Hill", "Kingsmead", "Larkhollow", "Marshfield",
        "Nettlecombe", "Orchard Green", "Penwardine", "Redstone", "Sedgebrook",
    ]

    static let placePrefixes = ["", "North ", "South ", "East ", "West ", "Upper ", "Lower ", "Great ", "Little "]

    static let acuteHospitalKinds = ["General Hospital", "Royal Infirmary", "District Hospital", "University Hospital"]
    static let communityHospitalKinds = ["Community Hospital", "Memorial Hospital", "Cottage Hospital"]

    static let acuteSpecialties = [
        "Medicine", "Care of the Elderly", "General Surgery", "Trauma and Orthopaedics", "Respiratory",
        "Cardiology", "Stroke", "Gastroenterology", "Acute Medical Unit", "Renal", "Oncology", "Urology",
    ]
    static let communitySpecialties = [
        "Rehabilitation", "Intermediate Care", "Community Medicine", "Stroke Rehabilitation", "Frailty",
    ]

    /// Delay reasons in the plain words a ward clerk types, each matching one
    /// reason of the standard taxonomy (DESIGN.md §3), with a relative weight.
    static let delayReasons: [(text: String, weight: Int)] = [
        ("awaiting assessment", 16),
        ("care package at home", 16),
        ("residential home", 8),
        ("nursing home", 9),
        ("further non-acute NHS care", 6),
        ("medical/clinical", 12),
        ("therapy", 6),
        ("public funding", 4),
        ("equipment/adaptations", 3),
        ("patient or family choice", 4),
        ("continuing healthcare assessment", 5),
        ("housing", 2),
        ("transport", 2),
        ("safeguarding/legal", 2),
        ("disputes", 1),
        ("mental health placement", 2),
        ("self-funder arrangements", 2),
    ]

    /// Index of "further non-acute NHS care", given to acute patients waiting
    /// for a community bed.
    static let furtherNHSCareReason = 4
}
