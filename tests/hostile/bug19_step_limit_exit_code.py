# hostile: a silent infinite loop in the program's own code hits the step limit (issue 7 bug 19)
# expect: status=step-limit exit_code=null
# python: skip
# timeout: 30
# max-steps: 100000
x = 0
while True:
    x += 1
