# hostile: an exception message with a lone surrogate, which UTF-8 cannot carry (issue 48 item 6)
# expect: status=exception error.type=ValueError
raise ValueError('bad \ud800 value')
