# A dict whose keys are of every kind a row names: a str, an int, a
# tuple, an instance, and keys too long for any row, in Latin and in
# Devanagari.
class Point:
    pass


where = Point()
d = {
    "a": [1],
    7: "x",
    (1, 2): "y",
    where: "z",
    "a key much too long to fit in the row of any box of the graph": 0,
    "नमस्ते दुनिया, यह एक बहुत लंबी कुंजी है जो पंक्ति में नहीं समाती": 1,
}
s = {"b", 8, (3, 4)}
