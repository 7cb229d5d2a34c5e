from ray import tune

# Tuner(train, param_space=param_space, tune_config=TuneConfig(num_samples=8))
param_space = {
    "model": tune.grid_search(["resnet18", "resnet50"]),
    "optimizer": {
        "name": "adamw",
        "lr": tune.loguniform(1e-4, 1e-1),
        "betas": [0.9, 0.999],
        "weight_decay": tune.choice([0.0, 0.01, 0.1]),
    },
    "batch_size": tune.qrandint(16, 128, 16),
    "warmup": tune.randint(0, 1000),
}
