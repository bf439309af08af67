import Foundation
import Postgres
import StrandedCore

/// Reads the prevention themes coded on Level 1 reviews.
public struct ThemeStore: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// Counts per week, ward and theme for weeks `from`…`to` (Mondays).
    ///
    /// A case counts once per theme, in the first week its review carried
    /// that theme, on the ward it was on that week: Q3 asks what could have
    /// been done in the patient's first days, so a ward repeating the same
    /// answer each week the patient stays is one lesson, not several.
    public func wardWeekCounts(from: CalendarDate, to: CalendarDate) async throws -> [PreventionThemeTally] {
        try await database.client.query(
            """
            WITH coded AS (
                SELECT f.case_id, t.code, f.week_start, f.ward_id,
                       row_number() OVER (PARTITION BY f.case_id, t.code ORDER BY f.week_start) AS nth
                FROM level1_form f
                CROSS JOIN LATERAL jsonb_array_elements_text(
                    CASE WHEN jsonb_typeof(f.review->'q3'->'themes') = 'array' THEN f.review->'q3'->'themes' ELSE '[]'::jsonb END
                ) AS t(code)
                WHERE f.week_start <= \(to)
                  -- Only cases with a form in the weeks asked for can count in them; their
                  -- earlier forms are still read, for the week each theme was first named.
                  AND f.case_id IN (SELECT r.case_id FROM level1_form r WHERE r.week_start BETWEEN \(from) AND \(to))
            )
            SELECT c.week_start, s.code AS site_code, s.name AS site_name, w.code AS ward_code, w.name AS ward_name,
                   c.code AS theme, count(*)::bigint AS cases
            FROM coded c
            JOIN ward w ON w.id = c.ward_id
            JOIN site s ON s.id = w.site_id
            WHERE c.nth = 1 AND c.week_start >= \(from)
            GROUP BY c.week_start, s.code, s.name, w.code, w.name, c.code
            ORDER BY c.week_start, s.code, w.code, c.code
            """
        ).map { row in
            PreventionThemeTally(
                week: try row.decode("week_start"),
                siteCode: try row.decode("site_code"),
                siteName: try row.decode("site_name"),
                wardCode: try row.decode("ward_code"),
                wardName: try row.decode("ward_name"),
                theme: PreventionThemeCode(try row.decode("theme", as: String.self)),
                cases: Int(try row.decode("cases", as: Int64.self))
            )
        }
    }
}
