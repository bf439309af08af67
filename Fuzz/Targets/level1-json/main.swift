import FuzzSupport

runLibFuzzer { data, count in fuzzLevel1JSON(data, count) }
