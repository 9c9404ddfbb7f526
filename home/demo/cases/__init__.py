"""The four launch cases, in the order they are created and shown on the home page."""

from . import hla, noy, vuthy, xiao_fang

CASES = (xiao_fang.CASE, vuthy.CASE, noy.CASE, hla.CASE)

# Slugs of the cases the home page features, in order (the others are one click away): under
# "Stories that need you now", only cases still raising funds (Vuthy's and Noy's are funded,
# see `updates.STATUSES`).
FEATURED_SLUGS = ("xiao-fang", "hla")
