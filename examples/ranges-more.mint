# More ranges: end excluded, geometric steps, and evenly spaced counts.
seed: 0..<3  # 0, 1, 2 (end excluded)
learning_rate: 1e-5..1e-1 step *10  # 1e-05 ... 0.1 (geometric, exact)
dropout: 0.0..0.5 count 3  # 0.0, 0.25, 0.5 (both ends)
