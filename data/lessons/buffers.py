data = bytearray(b'hello')
view = memoryview(data)
view[0] = ord('J')
print(data)
part = view[1:3]
part[0] = ord('E')
print(data, part.obj is data)
copied = bytes(view[1:3])
try:
    data.append(33)
except BufferError as error:
    print('BufferError:', error)
part.release()
view.release()
data.append(33)
print(data, copied)
