"""Who pays: the viewers' records in the comment list, the viewer's card, hand-overs.

* :mod:`.words`: a record's badges and summary in the seller's words and the palette's colours.
* :mod:`.viewer_card`: :class:`ViewerCard`, one viewer's record, note and block.
* :mod:`.piece_picker`: :class:`PiecePicker`, which waiting piece to hand over.
* :mod:`.desk`: :class:`ViewerDesk`, what the main window wires together.

Nothing is imported here: the comment list imports :mod:`.words`, and :mod:`.desk` imports
the comment list.
"""
