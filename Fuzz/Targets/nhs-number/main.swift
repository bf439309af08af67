import FuzzSupport

runLibFuzzer { data, count in fuzzNHSNumber(data, count) }
