public enum StrandedCoreVersion { public static let value = "0.1.0" }
