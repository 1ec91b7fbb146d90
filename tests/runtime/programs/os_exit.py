# os._exit skips flushing: buffered output is lost, as with python3
import os

print('buffered, never flushed')
os.write(1, b'written straight to fd 1\n')
os._exit(3)
