# Which file descriptors the program finds open
import os

for fd in range(3, 12):
    try:
        os.fstat(fd)
        print(fd, 'open')
    except OSError as e:
        print(fd, 'closed', e.errno)
