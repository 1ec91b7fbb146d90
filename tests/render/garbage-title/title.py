# heapscope: every-object
# A garbage dict whose value is a list that a variable names: the
# arrow runs from the garbage zone up through its title to the list.
kept = [1, 2]
node = {"kept": kept}
node["self"] = node
del node
