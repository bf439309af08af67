import FuzzSupport

runLibFuzzer { data, count in fuzzDate(data, count) }
