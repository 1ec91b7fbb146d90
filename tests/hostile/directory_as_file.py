# hostile: the file is a directory: the CLI says it cannot read it
# expect: status=none cli_exit=1
# python: skip
# generate: directory
