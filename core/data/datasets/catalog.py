"""What each shipped data set holds, known without reading its file: sizes, class names, source, license.

The numbers here are checked against the files by the tests, so the reader and the settings checks can
use them (a network with the wrong number of inputs is refused before any file is opened).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from backprop_studio.core.data.targets import encode_classes
from backprop_studio.core.errors import ArchitectureError
from backprop_studio.core.spec import REAL_DATASETS, NetworkSpec
from backprop_studio.core.validators import count


@dataclass(frozen=True)
class RealDatasetInfo:
    """A shipped table: `rows` samples of `inputs` numeric features and one class column.

    `classes` are the class names in class-index order (class 0 first); `title` is how menus name the
    set, `source` and `license` where it comes from (README.md beside the files says more).
    """

    name: str
    title: str
    rows: int
    inputs: int
    classes: tuple[str, ...]
    source: str
    license: str = "CC BY 4.0"

    @property
    def file(self) -> str:
        return f"{self.name}.csv.gz"

    def summary(self) -> str:
        """ "150 samples, 4 features, 3 classes (setosa, versicolor, virginica)"."""
        names = (
            ", ".join(self.classes) if len(self.classes) <= 3 else f"{self.classes[0]} … {self.classes[-1]}"
        )
        return f"{self.rows:,} samples, {self.inputs} features, {len(self.classes)} classes ({names})"


INFO: dict[str, RealDatasetInfo] = {
    "iris": RealDatasetInfo(
        "iris",
        "Iris flowers",
        150,
        4,
        ("setosa", "versicolor", "virginica"),
        "R. A. Fisher (1936), UCI Machine Learning Repository, doi:10.24432/C56C76",
    ),
    "wine": RealDatasetInfo(
        "wine",
        "Wine cultivars",
        178,
        13,
        ("cultivar 1", "cultivar 2", "cultivar 3"),
        "M. Forina et al. (1991), UCI Machine Learning Repository, doi:10.24432/C5PC7J",
    ),
    "breast_cancer": RealDatasetInfo(
        "breast_cancer",
        "Breast cancer",
        569,
        30,
        ("benign", "malignant"),
        "W. H. Wolberg, O. L. Mangasarian, N. Street, W. N. Street (1995), UCI Machine Learning "
        "Repository, doi:10.24432/C5DW2B",
    ),
    "digits": RealDatasetInfo(
        "digits",
        "Handwritten digits",
        1797,
        64,
        tuple(str(digit) for digit in range(10)),
        "E. Alpaydin, C. Kaynak (1998), UCI Machine Learning Repository, doi:10.24432/C50P49",
    ),
}
assert tuple(INFO) == REAL_DATASETS  # the catalog and the spec's list of kinds must not drift apart


def info(name: str) -> RealDatasetInfo:
    """The catalog entry of a shipped data set; KeyError for a name that is not one."""
    return INFO[name]


def check_network(name: str, network: NetworkSpec) -> None:
    """Refuse a network whose inputs or output layer cannot take the shipped set `name` (ArchitectureError),
    without reading its file."""
    entry = INFO[name]
    if network.inputs != entry.inputs:
        raise ArchitectureError(
            f"{name} has {count(entry.inputs, 'input feature')} but the network has "
            f"{count(network.inputs, 'input')}"
        )
    encode_classes(np.zeros(0, dtype=np.int64), len(entry.classes), network.layers[-1], entry.classes)
