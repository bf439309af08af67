import Testing

@Test func workflowtestsPlaceholder() {}
