"""Output: configs to text. `formats` holds one record per format (how a
value, a config and the whole output are framed), `plan` the fast path for
documents of fixed structure, `emit` the stream both feed, `yamltext`
PyYAML's document and each value's text in its slot of one.
"""
