import FuzzSupport

runLibFuzzer { data, count in fuzzRedDayFile(data, count) }
