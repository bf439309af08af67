import FuzzSupport

runLibFuzzer { data, count in fuzzCycleConfiguration(data, count) }
