# Two short lists side by side: a picture wider than tall, whose lists
# keep their title above their cells.
xs = [1, 2, 3]
ys = [4, 5]
