"""The core: everything an assessment is made of, and nothing else.

What it holds:

* values: :mod:`~tuoyu_rules.core.money` (exact yuan), :mod:`~tuoyu_rules.core.amounts` (ranges),
  :mod:`~tuoyu_rules.core.citations`, :mod:`~tuoyu_rules.core.errors`;
* the law as data: :mod:`~tuoyu_rules.core.parameters` (dated, cited values),
  :mod:`~tuoyu_rules.core.policy` (a jurisdiction's programmes, payers, designations and the outcome a rule
  returns), :mod:`~tuoyu_rules.core.context` (what a rule function sees and the helpers it uses),
  :mod:`~tuoyu_rules.core.loading` (data files read and validated into policies),
  :mod:`~tuoyu_rules.core.registry` (which jurisdictions exist, loaded on first use) and
  :mod:`~tuoyu_rules.core.reforms` (what-if overlays on the parameters);
* the calculation: :mod:`~tuoyu_rules.core.models` (the facility, validated),
  :mod:`~tuoyu_rules.core.engine` (:func:`assess`) and :mod:`~tuoyu_rules.core.results` (the assessment).

What it may import: the standard library, pydantic and python-dateutil, and its own modules. Nothing in
``core`` imports another package of ``tuoyu_rules``; the bundled jurisdictions are found by the registry
by name, as plugins are (``tests/test_architecture.py`` checks this).

Nothing is imported here, so ``import tuoyu_rules.core.money`` loads only what that module needs.
"""
