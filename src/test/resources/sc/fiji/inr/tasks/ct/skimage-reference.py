# Reference values from scikit-image (radon, iradon) for CtSkimageReferenceTest; run with python3 in this folder.
import numpy as np, skimage
from skimage.transform import radon, iradon
size, views = 25, 12
y, x = np.mgrid[0:size, 0:size] - (size - 1) / 2
img = ((x - 4) ** 2 + (y + 3) ** 2 <= 36).astype(float) * 1.0
img[3:7, 2:12] += 0.5          # an asymmetric bar near the top left
img += 0.25 * ((x / 8) ** 2 + (y / 10) ** 2 <= 1)
theta = np.arange(views) * 180.0 / views
sino = radon(img, theta, circle=False)
out = ["# scikit-image %s: radon(image, theta, circle=False), iradon(sinogram, theta, output_size=%d, filter_name=..., circle=False)" % (skimage.__version__, size),
       "# each block: name rows cols, then rows of values (row-major)"]
def block(name, a):
    out.append("%s %d %d" % (name, a.shape[0], a.shape[1]))
    for r in a: out.append(" ".join("%.9g" % v for v in r))
block("image", img)
block("theta", theta[None, :])
block("radon", sino)
for f in ["ramp", "shepp-logan", "cosine", "hann"]:
    block("iradon-" + f, iradon(sino, theta, output_size=size, filter_name=f, circle=False))
open("skimage-reference.txt", "w").write("\n".join(out) + "\n")
print(sino.shape)
