/* Debian's lua5.4 patch names the multiarch triplet in package.cpath (the
 * build's debian/rules generates this header): the bench's Lua loads no C
 * modules, so any name serves. */
#define DEB_HOST_MULTIARCH "bench"
