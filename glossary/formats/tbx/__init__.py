"""TBX (ISO 30042), TBX-Basic dialect in DCA style, for CAT tools and other termbases.

Export writes one conceptEntry per term with a langSec for zh-Hans, zh-Hant (plus zh-TW and zh-HK
where the term has regional forms), pinyin as zh-Latn-pinyin, and every translation language.
Import reads TBX v3 (``<tbx>``, DCA or DCT style) and TBX v2 / IATE-style (``<martif>``) files into
*new draft* entries and says what it mapped and what it skipped.  The mapping is documented in
docs/interchange.md.  Parsing never expands entities nor touches the network.
The package: ``writer`` (export), ``reader`` (import, with ``outline``, its first pass), ``common``
(what both share).
"""

from .reader import read
from .writer import write

__all__ = ["read", "write"]
