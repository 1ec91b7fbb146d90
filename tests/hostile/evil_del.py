# hostile: __del__ that resurrects the object and prints
# expect: status=finished
saved = []
class Phoenix:
    def __del__(self):
        print("resurrected")
        saved.append(self)
p = Phoenix()
del p
print("saved:", len(saved))
