# hostile: an exception message on two lines (issue 7 bug 13)
# expect: status=exception error.type=ValueError 'error.message=bad input:\n  expected a number'
raise ValueError("bad input:\n  expected a number")
