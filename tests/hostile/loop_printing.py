# hostile: an infinite loop that prints; the step limit ends it
# expect: status=step-limit exit_code=null
# python: skip
# timeout: 30
# max-steps: 100000
while True:
    print("spam")
