# Output through every path a program might use
import os
import sys

print('plain')
print('no newline', end='')
print(' then more')
sys.stdout.write('via write\n')
print('to stderr', file=sys.stderr)
sys.stderr.write('stderr write\n')
print('unicode: é ü → ∑ 😀')
print('flushed', flush=True)
os.write(1, b'raw fd 1\n')
os.write(2, b'raw fd 2\n')
print(*range(5), sep=', ')
print('last line without newline', end='')
