import FuzzSupport

runLibFuzzer { data, count in fuzzStayFile(data, count) }
