import FuzzSupport

runLibFuzzer { data, count in fuzzWardList(data, count) }
