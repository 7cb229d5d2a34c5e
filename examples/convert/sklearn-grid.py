import numpy as np
from sklearn.model_selection import GridSearchCV
from sklearn.svm import SVC

param_grid = [
    {"kernel": ["linear"], "C": [1, 10, 100, 1000]},
    {"kernel": ["rbf"], "C": np.logspace(-2, 3, 6), "gamma": [1e-3, 1e-4]},
    {"kernel": ["poly"], "C": [1, 10], "degree": range(2, 5)},
]
search = GridSearchCV(SVC(), param_grid)
