x = 1
print('never runs')
def broken(:
    pass
