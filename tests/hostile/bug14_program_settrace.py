# hostile: the program installs its own tracer (issue 7 bug 14)
# expect: status=finished step_line=11
import sys
calls = []
def tracer(frame, event, arg):
    calls.append(event)
    return None
sys.settrace(tracer)
def f():
    return 1
f()
sys.settrace(None)
print(len(calls))
