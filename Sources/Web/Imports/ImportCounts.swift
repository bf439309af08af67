/// What a list's row counts say happened. A rejected file imports nothing,
/// whatever its rows held, so its counts never read "N imported".
enum ImportCounts {
    static func outcome(verdict: String, dataRows: Int, importedRows: Int, invalidRows: Int) -> String {
        let rows = dataRows == 1 ? "1 data row" : "\(dataRows) data rows"
        let errors = invalidRows == 1 ? "1 with errors" : "\(invalidRows) with errors"
        switch verdict {
        case "rejected": return "\(rows) read, \(errors): nothing imported"
        case "duplicate": return "\(rows): the same file was already imported, nothing changed"
        default: return "\(rows), \(importedRows) imported" + (invalidRows > 0 ? ", \(errors)" : "")
        }
    }
}
