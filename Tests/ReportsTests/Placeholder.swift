import Testing

@Test func reportstestsPlaceholder() {}
