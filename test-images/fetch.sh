#!/usr/bin/env bash
# Copies the real-world test images this project uses out of Debian packages into this folder.
#
# Why Debian packages: they are the one source of real medical/natural images a build machine can
# reach, they are versioned, and their licences are stated in /usr/share/doc/<pkg>/copyright.
# The small files are committed; this script is what brings back the large one
# (inia19-t1-brain.nii.gz, ~3 MB) and re-creates any file that was deleted.
#
# Usage: test-images/fetch.sh   (needs root or sudo only when a package must be installed)
# Idempotent: files already present here are left alone.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
updated=0

# Runs apt-get as root, through sudo when we are not root.
apt_get() {
	if [ "$(id -u)" -eq 0 ]; then
		DEBIAN_FRONTEND=noninteractive apt-get "$@"
	else
		sudo DEBIAN_FRONTEND=noninteractive apt-get "$@"
	fi
}

is_installed() {
	dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

install_package() {
	local pkg="$1"
	if is_installed "$pkg"; then
		return 0
	fi
	echo "Installing $pkg ..." >&2
	if ! apt_get install -y --no-install-recommends "$pkg"; then
		if [ "$updated" -eq 0 ]; then
			apt_get update
			updated=1
		fi
		apt_get install -y --no-install-recommends "$pkg"
	fi
}

# fetch PACKAGE FILE_NAME [PATH_PATTERN]
# Finds FILE_NAME among the files of PACKAGE (dpkg -L, so the real path is used whatever the
# package version puts it) and copies it here unless it is already here.
fetch() {
	local pkg="$1" name="$2" pattern="${3:-/$2\$}"
	if [ -s "$here/$name" ]; then
		echo "ok      $name (already present)"
		return 0
	fi
	install_package "$pkg"
	local src
	src="$(dpkg -L "$pkg" | grep -E "$pattern" | head -n 1 || true)"
	if [ -z "$src" ] || [ ! -f "$src" ]; then
		echo "error   $name: not found among the files of package $pkg" >&2
		return 1
	fi
	cp "$src" "$here/$name.part"
	mv "$here/$name.part" "$here/$name"
	echo "fetched $name <- $src ($pkg)"
}

status=0
fetch python3-skimage camera.png '/skimage/data/camera\.png$' || status=1
fetch insighttoolkit5-examples BrainProtonDensitySlice.png || status=1
fetch insighttoolkit5-examples BrainProtonDensitySliceShifted13x17y.png || status=1
fetch insighttoolkit5-examples BrainProtonDensitySliceR10X13Y17.png || status=1
fetch python3-pydicom CT_small.dcm '/test_files/CT_small\.dcm$' || status=1
fetch mricron-data inia19-t1-brain.nii.gz || status=1
exit $status
