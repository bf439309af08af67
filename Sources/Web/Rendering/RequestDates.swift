import Hummingbird
import StrandedCore

extension CalendarDate {
    /// A date from a path, query string or API body: StrandedCore's parsing
    /// and accepted range, refused as a 400 naming `field`.
    static func requested(_ text: String, field: String, isoOnly: Bool = false) throws -> CalendarDate {
        do {
            return try CalendarDate.input(text, field: field, isoOnly: isoOnly)
        } catch {
            throw HTTPError(.badRequest, message: error.message)
        }
    }
}
