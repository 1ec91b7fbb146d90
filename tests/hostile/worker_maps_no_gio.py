# hostile: the program's process maps none of the app's libraries (GIO, libmount, libselinux, json-glib, GTK): the worker links only the GLib-only protocol (issue 7, "its own layer")
# expect: status=finished
with open("/proc/self/maps") as f:
    maps = f.read()
for lib in ("libgio-2.0", "libmount", "libselinux", "libjson-glib", "libgtk-4", "libcairo"):
    print(lib, lib in maps)
