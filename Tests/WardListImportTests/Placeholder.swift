import Testing

@Test func wardlistimporttestsPlaceholder() {}
