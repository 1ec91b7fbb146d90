# hostile: a 50 MB source file (a 50 MB string literal), made at test time
# expect: status=finished
# timeout: 30
# generate: big-source
