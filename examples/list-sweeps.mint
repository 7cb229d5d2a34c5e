# Sweeps inside a list (Ray Tune style): each list is ONE axis whose values
# are the lists of the product of its sweeps, the last element fastest.
# 2 widths x 2 depths of the last layer x 2 dropouts = 8 configs.
model: {
  layers: [[64, 128]*, 1..2, 10]
  dropout: [0.0, 0.1]*
}
optimizer: "adam"
