"""Use-cases over the models; the only layer that commits."""
