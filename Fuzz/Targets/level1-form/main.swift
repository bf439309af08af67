import FuzzSupport

runLibFuzzer { data, count in fuzzLevel1Form(data, count) }
