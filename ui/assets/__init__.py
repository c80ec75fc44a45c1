"""The asset bank: grid and list, facets, search, detail panel, palette, drag and drop."""
