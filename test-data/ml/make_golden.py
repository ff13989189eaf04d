#!/usr/bin/python3
"""Golden results for the ML tests, computed by scikit-learn (Debian's python3-sklearn).

Run: /usr/bin/python3 test-data/ml/make_golden.py   (rewrites the .txt files here)
CI does not need Python: the outputs are committed. Lines: <name> <values...> (repr precision).
"""
import os

import numpy as np
from sklearn.datasets import make_classification, make_regression
from sklearn.linear_model import LinearRegression, LogisticRegression, LogisticRegressionCV

here = os.path.dirname(os.path.abspath(__file__))


def line(name, a):
    a = np.asarray(a, dtype=np.float64).ravel()
    return name + " " + " ".join(repr(float(v)) for v in a) + "\n"


X, y = make_classification(n_samples=300, n_features=4, n_informative=2, n_redundant=1, flip_y=0.05,
                           random_state=3)
Xr, yr = make_regression(n_samples=200, n_features=3, noise=5.0, random_state=4)
X3, y3 = make_classification(n_samples=300, n_features=4, n_informative=3, n_redundant=0, n_classes=3,
                             n_clusters_per_class=1, random_state=5)
with open(os.path.join(here, "input.txt"), "w") as f:
    f.write(line("X", X) + line("y", y) + line("Xr", Xr) + line("yr", yr) + line("X3", X3) + line("y3", y3))

exact = dict(solver="newton-cg", tol=1e-12, max_iter=10000)
out = []
for c in [1.0, 0.05]:
    m = LogisticRegression(C=c, **exact).fit(X, y)
    out.append(line("logreg/C=%g/coef" % c, m.coef_))
    out.append(line("logreg/C=%g/intercept" % c, m.intercept_))
    out.append(line("logreg/C=%g/proba" % c, m.predict_proba(X[:5])))
    out.append(line("logreg/C=%g/score" % c, m.score(X, y)))
cv = LogisticRegressionCV(Cs=10, cv=5, **exact).fit(X, y)
out.append(line("logregcv/C", cv.C_))
out.append(line("logregcv/coef", cv.coef_))
out.append(line("logregcv/intercept", cv.intercept_))
out.append(line("logregcv/meanscores", cv.scores_[1].mean(axis=0)))
m3 = LogisticRegression(C=0.5, **exact).fit(X3, y3)  # multinomial (scikit-learn's default for >2 classes)
out.append(line("multinomial/coef", m3.coef_))
out.append(line("multinomial/intercept", m3.intercept_))
out.append(line("multinomial/proba", m3.predict_proba(X3[:5])))
out.append(line("multinomial/score", m3.score(X3, y3)))
cv3 = LogisticRegressionCV(Cs=5, cv=3, **exact).fit(X3, y3)
out.append(line("multinomialcv/C", cv3.C_[0]))
out.append(line("multinomialcv/meanscores", cv3.scores_[0].mean(axis=0)))
lr = LinearRegression().fit(Xr, yr)
out.append(line("linreg/coef", lr.coef_))
out.append(line("linreg/intercept", lr.intercept_))
out.append(line("linreg/score", lr.score(Xr, yr)))
with open(os.path.join(here, "golden.txt"), "w") as f:
    import sklearn
    f.write("# scikit-learn " + sklearn.__version__ + "\n")
    f.writelines(out)
