#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Fetches Debian's linux-source-6.12 (if not already fetched), extracts only the files needed,
# and compiles Linux's drivers/hv/{channel,channel_mgmt,connection}.c unmodified, with the stubs
# of stubs/ and src/lg_glue.c, into build/liblinuxguest.so. Idempotent; fast when up to date.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
BUILD="$HERE/build"
PKG=linux-source-6.12
# The version to fetch: by default the newest Debian serves (apt's candidate), recorded in
# build/linux-source.json and in every report; LINUX_SOURCE_VERSION=<version> pins one.
WANT=${LINUX_SOURCE_VERSION-}
mkdir -p "$BUILD"
cd "$BUILD"

deb=$(ls "$PKG"_*.deb 2>/dev/null | head -n 1 || true)
if [ -z "$deb" ]; then
	if [ -n "$WANT" ]; then spec="$PKG=$WANT"; else spec="$PKG"; fi
	if ! apt-get download "$spec" >/dev/null 2>&1; then
		echo "build.sh: apt-get download $spec failed; running apt-get update" >&2
		apt-get update >/dev/null
		apt-get download "$spec" >/dev/null 2>&1 || apt-get download "$PKG"
	fi
	deb=$(ls "$PKG"_*.deb | head -n 1)
	rm -rf linux-source-6.12 linux-source.json
fi

if [ ! -f linux-source.json ]; then
	version=$(dpkg-deb -f "$deb" Version)
	sha=$(sha256sum "$deb" | cut -d' ' -f1)
	printf '{"package": "%s", "version": "%s", "sha256": "%s"}\n' "$PKG" "$version" "$sha" > linux-source.json
fi

SRC="$BUILD/linux-source-6.12"
if [ ! -f "$SRC/.extracted" ]; then
	rm -rf "$SRC"
	dpkg-deb --fsys-tarfile "$deb" | tar -xO ./usr/src/linux-source-6.12.tar.xz | \
		tar -xJ --wildcards \
			'linux-source-6.12/drivers/hv/*' \
			'linux-source-6.12/include/linux/hyperv.h' \
			'linux-source-6.12/include/uapi/linux/hyperv.h' \
			'linux-source-6.12/include/asm-generic/hyperv-tlfs.h' \
			'linux-source-6.12/include/asm-generic/mshyperv.h' \
			'linux-source-6.12/arch/x86/include/asm/hyperv-tlfs.h' \
			'linux-source-6.12/COPYING' \
			'linux-source-6.12/LICENSES/preferred/GPL-2.0'
	touch "$SRC/.extracted"
fi

CC=${CC:-gcc}
CFLAGS="-std=gnu11 -O1 -g -fPIC -fno-strict-aliasing -pthread -Wall -Wno-unused-function \
 -Wno-unused-variable -Wno-address-of-packed-member -DCONFIG_HYPERV=1 \
 -I $HERE/stubs -I $SRC/arch/x86/include -I $SRC/include -I $SRC/drivers/hv"
mkdir -p obj
objs=""
for f in channel channel_mgmt connection; do
	src="$SRC/drivers/hv/$f.c"
	obj="obj/$f.o"
	if [ ! -f "$obj" ] || [ "$src" -nt "$obj" ] || [ -n "$(find "$HERE/stubs" -newer "$obj" -type f)" ]; then
		$CC $CFLAGS -c "$src" -o "$obj"
	fi
	objs="$objs $obj"
done
obj=obj/lg_glue.o
if [ ! -f "$obj" ] || [ "$HERE/src/lg_glue.c" -nt "$obj" ] || [ -n "$(find "$HERE/stubs" -newer "$obj" -type f)" ]; then
	$CC $CFLAGS -c "$HERE/src/lg_glue.c" -o "$obj"
fi
objs="$objs $obj"
lib=liblinuxguest.so
need=0
[ -f "$lib" ] || need=1
for o in $objs; do [ "$o" -nt "$lib" ] && need=1; done
if [ $need = 1 ]; then
	$CC -shared -pthread -o "$lib.tmp" $objs -Wl,--no-undefined -Wl,-z,defs
	mv "$lib.tmp" "$lib"
fi
echo "build.sh: $BUILD/$lib ($(cat linux-source.json))" >&2
