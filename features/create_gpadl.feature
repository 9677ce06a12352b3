Feature: Creating a GPADL (VmbChannelCreateGpadlFromBuffer, VmbChannelCreateGpadlFromMdl)
  A client driver describes a piece of guest memory to the host by creating a GPADL on an open
  channel, either from a buffer or from an MDL chain. The guest picks the GPADL handle, sends the
  page list to the host (GPADL_HEADER, then GPADL_BODY messages) and returns the handle only when
  the host has confirmed it (GPADL_CREATED). The driver then hands the handle to the server, which
  maps it. The ring-buffer GPADL that opening a channel creates is a GPADL too, and it is created
  before any other.

  Background:
    Given an open channel

  @CREATE-01 @normative @spec:KMCL-CREATE-1 @spec:KMCL-CREATE-2 @spec:KMCL-CLIENT-1 @spec:HDR-STATE-3 @half:guest
  Rule: A create on an opened client endpoint succeeds and returns a GPADL handle
    A client endpoint whose channel is open may create GPADLs, writable or read-only, over any
    buffer; on success the call writes out the handle of the new GPADL.
    Source: spec KMCL-CREATE-1, KMCL-CREATE-2, KMCL-CLIENT-1, HDR-STATE-3

    Scenario Outline: a <size>-byte buffer <offset> bytes into its page, with flags <flags>
      Given a <size>-byte buffer "B" starting <offset> bytes into its first page
      When the client creates a GPADL "G" for buffer "B" with flags <flags>
      Then the create succeeds
      And a GPADL handle is returned

      Examples:
        | size  | offset | flags                         |
        | 1     | 0      | 0                             |
        | 4096  | 0      | 0                             |
        | 4096  | 0      | VMBUS_CHANNEL_GPADL_READ_ONLY |
        | 5000  | 100    | 0                             |
        | 65536 | 0      | VMBUS_CHANNEL_GPADL_READ_ONLY |
        | 2     | 4095   | 0                             |

    @requires:lifecycle
    Scenario: a create on one channel after another channel was closed
      Given an open channel "other"
      And a 4096-byte buffer "B"
      And the client has disabled the channel
      When the client creates a GPADL "G" for buffer "B" on channel "other"
      Then the create succeeds
      And the server of channel "other" can still map "G"

  @CREATE-02 @normative @spec:KMCL-CREATE-4 @half:guest
  Rule: When a create from a buffer returns, the server can map the GPADL at once
    Create returns only after the other endpoint has received and confirmed the description, so the
    server may map the handle as soon as it learns it, without waiting for anything.
    Source: spec KMCL-CREATE-4

    Scenario Outline: the server maps a <size>-byte GPADL right after the create
      Given a <size>-byte buffer "B"
      And the client has created a GPADL "G" for buffer "B"
      When the server maps "G" for write access
      Then the map succeeds

      Examples:
        | size   |
        | 4096   |
        | 163840 |

  @CREATE-03 @normative @spec:KMCL-MDL-5 @requires:mdl @half:guest
  Rule: When a create from an MDL returns, the server can map the GPADL at once
    A GPADL created from an MDL is likewise confirmed by the other endpoint before the call returns.
    Source: spec KMCL-MDL-5

    Scenario: the server maps a GPADL created from an MDL right after the create
      Given an 8192-byte buffer "B"
      And an MDL "M" over buffer "B"
      And the client has created a GPADL "G" from MDL "M" starting at byte 0 for 8192 bytes
      When the server maps "G" for write access
      Then the map succeeds

    @requires:hostControl
    Scenario: the create from an MDL blocks while the host holds its answer back, and returns with the answer
      Given an 8192-byte buffer "B"
      And an MDL "M" over buffer "B"
      And the host will hold back its answer to the next GPADL
      And the client has started creating a GPADL "G" from MDL "M" starting at byte 0 for 8192 bytes
      When the host answers the GPADL it held back
      Then the create of "G" has completed with a GPADL handle
      And the server can still map "G"

  @CREATE-04 @normative @spec:KMCL-CREATE-4 @spec:LINUX-CHANNEL-7 @spec:LINUX-MGMT-1 @requires:trace @half:guest
  Rule: Create returns only after the host has answered GPADL_CREATED
    The confirmation that create waits for is the host's GPADL_CREATED for the handle that the
    guest sent in GPADL_HEADER (and any GPADL_BODY); create returns after it, never before.
    Source: spec KMCL-CREATE-4, LINUX-CHANNEL-7, LINUX-MGMT-1

    Scenario: a one-page GPADL fits in GPADL_HEADER
      Given a 4096-byte buffer "B"
      When the client creates a GPADL "G" for buffer "B"
      Then from the last create call the trace shows, in order:
        | event         | what          | for |
        | guest to host | GPADL_HEADER  | G   |
        | host to guest | GPADL_CREATED | G   |
        | return        | create        |     |

    Scenario: a 40-page GPADL continues in GPADL_BODY before the host answers
      Given a 163840-byte buffer "B"
      When the client creates a GPADL "G" for buffer "B"
      Then from the last create call the trace shows, in order:
        | event         | what          | for |
        | guest to host | GPADL_HEADER  | G   |
        | guest to host | GPADL_BODY    | G   |
        | host to guest | GPADL_CREATED | G   |
        | return        | create        |     |

    @requires:hostControl
    Scenario: the create blocks while the host holds its answer back, and returns with the answer
      Given a 4096-byte buffer "B"
      And the host will hold back its answer to the next GPADL
      And the client has started creating a GPADL "G" for buffer "B"
      When the host answers the GPADL it held back
      Then the create of "G" has completed with a GPADL handle
      And from the last create call the trace shows, in order:
        | event         | what          | for |
        | guest to host | GPADL_HEADER  | G   |
        | host to guest | GPADL_CREATED | G   |
        | completion    | create        |     |
      And the server can still map "G"

    @requires:hostControl
    Scenario: two answers held back, one after the other
      Given a 4096-byte buffer "B"
      And the host will hold back its answer to the next GPADL
      And the host will hold back its answer to the next GPADL
      And the client has started creating a GPADL "G1" for buffer "B"
      When the host answers the GPADL it held back
      Then the create of "G1" has completed with a GPADL handle
      And the client has started creating a GPADL "G2" for buffer "B"
      And the create of "G2" is pending
      When the host answers the GPADL it held back
      Then the create of "G2" has completed with a GPADL handle
      And from the last create call the trace shows, in order:
        | event         | what          | for |
        | guest to host | GPADL_HEADER  | G2  |
        | host to guest | GPADL_CREATED | G2  |
        | completion    | create        |     |
      And the server can still map "G1"
      And the server can still map "G2"

    @requires:hostControl
    Scenario: two creates wait for answers held back, and one answer lets both go on
      Given a 4096-byte buffer "B"
      And the host will hold back its answer to the next GPADL
      And the host will hold back its answer to the next GPADL
      And the client has started creating a GPADL "G1" for buffer "B"
      And the client has started creating a GPADL "G2" for buffer "B"
      When the host answers the GPADL it held back
      Then the create of "G1" has completed with a GPADL handle
      And the create of "G2" has completed with a GPADL handle
      And no two live GPADLs share a handle
      And the server can still map "G1"
      And the server can still map "G2"

    @requires:hostControl
    Scenario: an answer held back, then a refusal: the first create waits, the second fails
      Given a 4096-byte buffer "B"
      And the host will hold back its answer to the next GPADL
      And the host will refuse the next GPADL
      And the client has started creating a GPADL "G1" for buffer "B"
      When the client creates a GPADL "G2" for buffer "B"
      Then the create fails
      And the create of "G1" is pending
      When the host answers the GPADL it held back
      Then the create of "G1" has completed with a GPADL handle
      And the server can still map "G1"

  @CREATE-05 @reference @choice:G2 @spec:KMCL-CREATE-2 @spec:KMCL-MAP-3 @spec:HDR-FLAGS-1 @spec:HDR-FLAGS-2 @half:guest @half:host
  Rule: The read-only flag is bit 0x1, whichever of its two names is used
    The create pages call the flag VMBUS_CHANNEL_GPADL_READ_ONLY and the header defines it as
    VMBUS_CHANNEL_GPADL_FLAG_READ_ONLY = 0x1; the reference model treats both names as that one bit,
    so a GPADL created with it cannot be mapped for write, and one created without it can.
    Source: spec KMCL-CREATE-2, KMCL-MAP-3, HDR-FLAGS-1, HDR-FLAGS-2; choice G2 (README.md#choices-where-the-docs-are-silent)

    Scenario Outline: a GPADL created with flags <flags> <outcome> a write map
      Given a 4096-byte buffer "B"
      And the client has created a GPADL "G" for buffer "B" with flags <flags>
      When the server maps "G" for write access
      Then the map <result>

      Examples:
        | flags                              | outcome | result   |
        | 0x1                                | refuses | fails    |
        | VMBUS_CHANNEL_GPADL_READ_ONLY      | refuses | fails    |
        | VMBUS_CHANNEL_GPADL_FLAG_READ_ONLY | refuses | fails    |
        | 0                                  | allows  | succeeds |

  @CREATE-06 @reference @choice:G2 @spec:HDR-FLAGS-1 @spec:KMCL-CREATE-6 @half:guest
  Rule: A create with a flag bit other than 0x1 fails with STATUS_INVALID_PARAMETER
    Only the read-only bit is defined for GPADLs; the reference model refuses any other bit before
    doing anything else, and writes out no handle.
    Source: spec HDR-FLAGS-1, KMCL-CREATE-6; choice G2 (README.md#choices-where-the-docs-are-silent)

    Scenario Outline: create with flags <flags>
      Given a 4096-byte buffer "B"
      When the client creates a GPADL "G" for buffer "B" with flags <flags>
      Then the create fails with STATUS_INVALID_PARAMETER
      And no GPADL handle is returned

      Examples:
        | flags      |
        | 0x2        |
        | 0x3        |
        | 0x100      |
        | 0x80000000 |
        | 0xFFFFFFFF |

    @requires:mdl
    Scenario Outline: create from an MDL with flags <flags>
      Given a 4096-byte buffer "B"
      And an MDL "M" over buffer "B"
      When the client creates a GPADL "G" from MDL "M" starting at byte 0 for 0 bytes with flags <flags>
      Then the create fails with STATUS_INVALID_PARAMETER
      And no GPADL handle is returned

      Examples:
        | flags      |
        | 0x2        |
        | 0x80000000 |

  @CREATE-07 @reference @choice:G2 @choice:G14 @spec:HDR-FLAGS-1 @spec:LINUX-CHANNEL-4 @half:guest
  Rule: A create refused for its flags sends nothing and consumes no handle
    Because the flags are checked before any message is built, a refused create leaves no trace on
    the wire, and the next create gets the handle the refused one would have had.
    Source: spec HDR-FLAGS-1, LINUX-CHANNEL-4; choices G2, G14 (README.md#choices-where-the-docs-are-silent)

    Scenario: the next GPADL gets the handle the refused one would have had
      Given a 4096-byte buffer "B"
      And the client's create of a GPADL for buffer "B" with flags 0x2 was refused
      When the client creates a GPADL "G" for buffer "B"
      Then the handle of "G" is 0xE1E11

    @requires:trace
    Scenario Outline: a create refused for flags <flags> exchanges no channel message
      Given a 4096-byte buffer "B"
      When the client creates a GPADL "G" for buffer "B" with flags <flags>
      Then the create fails
      And no channel message follows the last create call

      Examples:
        | flags      |
        | 0x2        |
        | 0x80000000 |

  @CREATE-08 @reference @choice:G15 @spec:KMCL-CREATE-6 @spec:OPENVMM-GPARANGE-1 @half:guest
  Rule: A create of zero bytes, or of more bytes than the buffer has, fails with STATUS_INVALID_PARAMETER
    An empty GPADL describes nothing and a byte count beyond the buffer describes memory the client
    does not own; the reference model refuses both before sending anything.
    Source: spec KMCL-CREATE-6, OPENVMM-GPARANGE-1; choice G15 (README.md#choices-where-the-docs-are-silent)

    Scenario Outline: create for <bytes> bytes of a 4096-byte buffer
      Given a 4096-byte buffer "B"
      When the client creates a GPADL "G" for <bytes> bytes of buffer "B"
      Then the create fails with STATUS_INVALID_PARAMETER
      And no GPADL handle is returned

      Examples:
        | bytes |
        | 0     |
        | 4097  |

  @CREATE-09 @reference @choice:G15 @spec:INFER-5 @spec:FREEBSD-CHAN-1 @spec:LINUX-CHANNEL-14 @half:guest
  Rule: A GPADL may span at most 8190 pages
    A single GPA range carries its page list in a 16-bit range_buflen, which leaves room for 8190
    page numbers; the reference model refuses a larger GPADL with STATUS_INVALID_PARAMETER.
    Source: spec INFER-5, FREEBSD-CHAN-1, LINUX-CHANNEL-14; choice G15 (README.md#choices-where-the-docs-are-silent)

    Scenario Outline: a <size>-byte buffer <offset> bytes into its page spans <pages> pages
      Given a <size>-byte buffer "B" starting <offset> bytes into its first page
      When the client creates a GPADL "G" for buffer "B"
      Then the create <result>

      Examples:
        | size     | offset | pages | result                              |
        | 33546240 | 0      | 8190  | succeeds                            |
        | 33546239 | 1      | 8190  | succeeds                            |
        | 33546240 | 1      | 8191  | fails with STATUS_INVALID_PARAMETER |
        | 33550336 | 0      | 8191  | fails with STATUS_INVALID_PARAMETER |

  @CREATE-10 @normative @spec:LINUX-MGMT-2 @spec:LINUX-CONN-1 @half:guest
  Rule: No two live GPADLs of a connection share a handle
    The host answers a teardown with GPADL_TORNDOWN naming only the handle, so the guest keeps every
    live handle unique across all channels of the connection, ring-buffer GPADLs included.
    Source: spec LINUX-MGMT-2, LINUX-CONN-1

    Scenario: GPADLs on two channels and their ring-buffer GPADLs
      Given an open channel "other"
      And a 4096-byte buffer "B"
      And the client has created a GPADL "G1" for buffer "B"
      And the client has created a GPADL "G2" for buffer "B"
      When the client creates a GPADL "G3" for buffer "B" on channel "other"
      Then no two live GPADLs share a handle

    Scenario: a GPADL created after a delete
      Given a 4096-byte buffer "B"
      And the client has created a GPADL "G1" for buffer "B"
      And the client has created a GPADL "G2" for buffer "B"
      And the client has deleted "G1"
      When the client creates a GPADL "G3" for buffer "B"
      Then no two live GPADLs share a handle

    @requires:lifecycle
    Scenario: a GPADL left live across a close and an open
      Given a 4096-byte buffer "B"
      And the client has created a GPADL "G1" for buffer "B"
      And the client has disabled the channel
      And the client has enabled the channel
      When the client creates a GPADL "G2" for buffer "B"
      Then no two live GPADLs share a handle

  @CREATE-11 @reference @choice:G14 @spec:LINUX-CONN-1 @spec:LINUX-CHANNEL-4 @spec:FREEBSD-VMBUS-1 @half:guest
  Rule: GPADL handles count up from 0xE1E10, one per GPADL sent, and are never reused
    The reference model keeps one counter per connection, as Linux and FreeBSD do: the ring-buffer
    GPADL of the first channel opened takes 0xE1E10, each later GPADL the next value, whichever
    channel it belongs to, and a GPADL the host refused has used up its value too; a deleted handle
    is not handed out again, and 0 never is.
    Source: spec LINUX-CONN-1, LINUX-CHANNEL-4, FREEBSD-VMBUS-1; choice G14 (README.md#choices-where-the-docs-are-silent)

    Scenario: the first GPADLs of the first channel
      Given a 4096-byte buffer "B"
      And the client has created a GPADL "G1" for buffer "B"
      When the client creates a GPADL "G2" for buffer "B"
      Then the ring-buffer GPADL of channel "main" has handle 0xE1E10
      And the handle of "G1" is 0xE1E11
      And the handle of "G2" is 0xE1E12

    Scenario: opening a second channel takes the next handle for its ring-buffer GPADL
      Given a 4096-byte buffer "B"
      And the client has created a GPADL "G1" for buffer "B"
      And an open channel "other"
      When the client creates a GPADL "G2" for buffer "B"
      Then the ring-buffer GPADL of channel "other" has handle 0xE1E12
      And the handle of "G2" is 0xE1E13

    Scenario: a deleted handle is not reused
      Given a 4096-byte buffer "B"
      And the client has created a GPADL "G1" for buffer "B"
      And the client has deleted "G1"
      When the client creates a GPADL "G2" for buffer "B"
      Then the handle of "G2" is 0xE1E12

    @requires:hostControl
    Scenario: a GPADL the host refused still used up its handle
      Given a 4096-byte buffer "B"
      And the host will refuse the next GPADL
      And the client's create of a GPADL for buffer "B" with flags 0x0 was refused
      When the client creates a GPADL "G2" for buffer "B"
      Then the handle of "G2" is 0xE1E12

    @requires:lifecycle
    Scenario: a channel closed and opened again takes the next handles
      Given a 4096-byte buffer "B"
      And the client has created a GPADL "G1" for buffer "B"
      And the client has deleted "G1"
      And the client has disabled the channel
      And the client has enabled the channel
      When the client creates a GPADL "G2" for buffer "B"
      Then the ring-buffer GPADL of channel "main" has handle 0xE1E12
      And the handle of "G2" is 0xE1E13

    @requires:hostControl
    Scenario: two GPADLs the host refused used up two handles
      Given a 4096-byte buffer "B"
      And the host will refuse the next GPADL
      And the host will refuse the next GPADL
      And the client's create of a GPADL for buffer "B" with flags 0x0 was refused
      And the client's create of a GPADL for buffer "B" with flags 0x0 was refused
      When the client creates a GPADL "G3" for buffer "B"
      Then the handle of "G3" is 0xE1E13

  @CREATE-12 @reference @choice:G1 @spec:HDR-THEORY-1 @spec:KMCL-SERVER-2 @half:whole
  Rule: A create on a server endpoint fails with STATUS_INVALID_DEVICE_REQUEST
    GPADLs describe guest memory and are established by the client endpoint; the reference model
    refuses a create on a server endpoint and writes out no handle.
    Source: spec HDR-THEORY-1, KMCL-SERVER-2; choice G1 (README.md#choices-where-the-docs-are-silent)

    Scenario: the server tries to create a GPADL
      Given a 4096-byte buffer "B"
      When the server creates a GPADL "G" for buffer "B"
      Then the create fails with STATUS_INVALID_DEVICE_REQUEST
      And no GPADL handle is returned

  @CREATE-13 @normative @spec:KMCL-MDL-1 @requires:mdl @half:guest @half:host
  Rule: A GPADL created from an MDL chain describes every MDL of the chain, in order
    The MDL passed to create may be a chain linked through Next; the GPADL then describes the pieces
    one after the other, and the server's mapping names their pages in that order.
    Source: spec KMCL-MDL-1

    Background:
      Given a 4096-byte buffer "A"
      And an 8192-byte buffer "B"
      And an MDL chain "M" over buffers "A" and "B"

    Scenario: the mapping names the pages of both buffers
      Given the client has created a GPADL "G" from MDL "M" starting at byte 0 for 12288 bytes
      When the server maps "G" for write access
      Then the MDL of "G" describes 12288 bytes
      And the MDL of "G" lists the page frame numbers of buffers "A" and "B" in order

    Scenario: the server's writes across the boundary land in both buffers
      Given the client has created a GPADL "G" from MDL "M" starting at byte 0 for 12288 bytes
      And the server has mapped "G"
      And the server has mapped the MDL of "G" into system virtual address space
      When the server writes 0x5A over bytes 4000 to 4200 of the mapping of "G"
      Then bytes 4000 to 4095 of buffer "A" hold 0x5A
      And bytes 0 to 104 of buffer "B" hold 0x5A

    Scenario Outline: a chain of <p> bytes <po> bytes into a page and <q> bytes <qo> bytes into a page
      Given a <p>-byte buffer "P" starting <po> bytes into its first page
      And a <q>-byte buffer "Q" starting <qo> bytes into its first page
      And an MDL chain "N" over buffers "P" and "Q"
      And the client has created a GPADL "G" from MDL "N" starting at byte 0 for 0 bytes
      When the server maps "G" for write access
      Then the MDL of "G" describes <bytes> bytes
      And the MDL of "G" lists the pages "<pages>"

      Examples:
        | p    | po   | q    | qo   | bytes | pages          |
        | 4095 | 0    | 4096 | 0    | 8191  | P0 Q0          |
        | 4095 | 1    | 4096 | 1    | 8191  | P0 Q0 Q1       |
        | 4097 | 2048 | 4095 | 2048 | 8192  | P0 P1 Q0 Q1    |
        | 4097 | 4095 | 8193 | 4095 | 12290 | P0 P1 Q0 Q1 Q2 |
        | 1    | 4095 | 8193 | 0    | 8194  | P0 Q0 Q1 Q2    |
        | 8193 | 1    | 4095 | 4095 | 12288 | P0 P1 P2 Q0 Q1 |

    Scenario Outline: a chain of three parts starting mid-page, <length> bytes from byte <start>
      Given a 4095-byte buffer "P" starting 1 bytes into its first page
      And a 4097-byte buffer "Q" starting 2048 bytes into its first page
      And an 8193-byte buffer "R" starting 4095 bytes into its first page
      And an MDL chain "N" over buffers "P", "Q" and "R"
      And the client has created a GPADL "G" from MDL "N" starting at byte <start> for <length> bytes
      When the server maps "G" for write access
      Then the MDL of "G" describes <bytes> bytes
      And the MDL of "G" lists the pages "<pages>"

      Examples:
        | start | length | bytes | pages             |
        | 0     | 0      | 16385 | P0 Q0 Q1 R0 R1 R2 |
        | 4000  | 8000   | 8000  | P0 Q0 Q1 R0 R1    |
        | 4095  | 4097   | 4097  | Q0 Q1             |
        | 6144  | 2049   | 2049  | Q1 R0             |
        | 8191  | 0      | 8194  | Q1 R0 R1 R2       |

    Scenario Outline: the server's writes over <length> bytes from byte <start> of a three-part chain land in each part
      Given a 4095-byte buffer "P" starting 1 bytes into its first page
      And a 4097-byte buffer "Q" starting 2048 bytes into its first page
      And an 8193-byte buffer "R" starting 4095 bytes into its first page
      And an MDL chain "N" over buffers "P", "Q" and "R"
      And the client has created a GPADL "G" from MDL "N" starting at byte <start> for <length> bytes
      And the server has mapped "G"
      And the server has mapped the MDL of "G" into system virtual address space
      When the server writes the counting pattern over bytes 0 to <last> of the mapping of "G"
      Then the write through the mapping succeeds
      And bytes <pfirst> to 4094 of buffer "P" hold the counting pattern from byte 0 of the mapping
      And bytes 0 to 4096 of buffer "Q" hold the counting pattern from byte <qfrom> of the mapping
      And bytes 0 to <rlast> of buffer "R" hold the counting pattern from byte <rfrom> of the mapping

      Examples:
        | start | length | last  | pfirst | qfrom | rfrom | rlast |
        | 0     | 0      | 16384 | 0      | 4095  | 8192  | 8192  |
        | 4000  | 8000   | 7999  | 4000   | 95    | 4192  | 3807  |

  @CREATE-14 @normative @spec:KMCL-MDL-3 @requires:mdl @half:guest @half:host
  Rule: A create from an MDL with length 0 describes everything from the start offset to the end of the chain
    DataLengthWithinMdl 0 does not mean an empty GPADL: it means the rest of the MDL chain after
    StartOffsetWithinMdl.
    Source: spec KMCL-MDL-3

    Background:
      Given a 4096-byte buffer "A"
      And an 8192-byte buffer "B"
      And an MDL chain "M" over buffers "A" and "B"

    Scenario Outline: length 0 from byte <start>
      Given the client has created a GPADL "G" from MDL "M" starting at byte <start> for 0 bytes
      When the server maps "G" for write access
      Then the MDL of "G" describes <bytes> bytes
      And the MDL of "G" lists the pages "<pages>"

      Examples:
        | start | bytes | pages    |
        | 0     | 12288 | A0 B0 B1 |
        | 100   | 12188 | A0 B0 B1 |
        | 5000  | 7288  | B0 B1    |

  @CREATE-15 @normative @requires:mdl @spec:KMCL-MDL-2 @spec:KMCL-MDL-3 @half:guest @half:host
  Rule: A create from an MDL describes exactly the bytes from the start offset for the given length
    StartOffsetWithinMdl is where the description starts in the chain and DataLengthWithinMdl how
    many bytes it covers; the GPADL names just the pages those bytes lie in.
    Source: spec KMCL-MDL-2, KMCL-MDL-3

    Background:
      Given a 4096-byte buffer "A"
      And an 8192-byte buffer "B"
      And an MDL chain "M" over buffers "A" and "B"

    Scenario Outline: <length> bytes from byte <start>
      Given the client has created a GPADL "G" from MDL "M" starting at byte <start> for <length> bytes
      When the server maps "G" for write access
      Then the MDL of "G" describes <length> bytes
      And the MDL of "G" starts <offset> bytes into its first page
      And the MDL of "G" lists the pages "<pages>"

      Examples:
        | start | length | offset | pages    |
        | 0     | 4096   | 0      | A0       |
        | 100   | 5000   | 100    | A0 B0    |
        | 4095  | 2      | 4095   | A0 B0    |
        | 4096  | 8192   | 0      | B0 B1    |
        | 5000  | 100    | 904    | B0       |
        | 10    | 12000  | 10     | A0 B0 B1 |

  @CREATE-16 @reference @choice:G11 @requires:mdl @spec:KMCL-MDL-1 @spec:LINUX-HYPERV-3 @spec:OPENVMM-GPARANGE-1 @half:guest @half:host
  Rule: A GPADL from an MDL chain has one range per MDL it touches, and its mapping one MDL per range
    The reference model sends one GPA range for each MDL of the chain that the described bytes
    reach, each with its own byte offset, and the server's map returns an MDL chain with one MDL per
    range.
    Source: spec KMCL-MDL-1, LINUX-HYPERV-3, OPENVMM-GPARANGE-1; choice G11 (README.md#choices-where-the-docs-are-silent)

    Background:
      Given a 4096-byte buffer "A"
      And an 8192-byte buffer "B"
      And an MDL chain "M" over buffers "A" and "B"

    Scenario Outline: <length> bytes from byte <start> touch <count> MDLs of the chain
      Given the client has created a GPADL "G" from MDL "M" starting at byte <start> for <length> bytes
      When the server maps "G" for write access
      Then the MDL of "G" is a chain of <count> MDLs

      Examples:
        | start | length | count |
        | 0     | 4096   | 1     |
        | 100   | 5000   | 2     |
        | 5000  | 100    | 1     |
        | 0     | 0      | 2     |

    Scenario Outline: a chain of <p> bytes <po> bytes into a page and <q> bytes <qo> bytes into a page maps to one MDL per part
      Given a <p>-byte buffer "P" starting <po> bytes into its first page
      And a <q>-byte buffer "Q" starting <qo> bytes into its first page
      And an MDL chain "N" over buffers "P" and "Q"
      And the client has created a GPADL "G" from MDL "N" starting at byte 0 for 0 bytes
      When the server maps "G" for write access
      Then the MDL chain of "G" is:
        | byte offset | byte count | pages    |
        | <po>        | <p>        | <ppages> |
        | <qo>        | <q>        | <qpages> |

      Examples:
        | p    | po   | q    | qo   | ppages   | qpages   |
        | 4095 | 0    | 4096 | 0    | P0       | Q0       |
        | 4095 | 1    | 4096 | 1    | P0       | Q0 Q1    |
        | 4097 | 2048 | 4095 | 2048 | P0 P1    | Q0 Q1    |
        | 4097 | 4095 | 8193 | 4095 | P0 P1    | Q0 Q1 Q2 |
        | 1    | 4095 | 8193 | 0    | P0       | Q0 Q1 Q2 |
        | 8193 | 1    | 4095 | 4095 | P0 P1 P2 | Q0 Q1    |

    @requires:trace
    Scenario Outline: the GPADL_HEADER of a chain of <p> bytes <po> bytes into a page and <q> bytes <qo> bytes into a page has one range per part
      Given a <p>-byte buffer "P" starting <po> bytes into its first page
      And a <q>-byte buffer "Q" starting <qo> bytes into its first page
      And an MDL chain "N" over buffers "P" and "Q"
      When the client creates a GPADL "G" from MDL "N" starting at byte 0 for 0 bytes
      Then the create succeeds
      And the create's GPADL_HEADER describes the ranges:
        | byte offset | byte count | pages    |
        | <po>        | <p>        | <ppages> |
        | <qo>        | <q>        | <qpages> |

      Examples:
        | p    | po   | q    | qo   | ppages   | qpages   |
        | 4095 | 0    | 4096 | 0    | P0       | Q0       |
        | 4095 | 1    | 4096 | 1    | P0       | Q0 Q1    |
        | 4097 | 2048 | 4095 | 2048 | P0 P1    | Q0 Q1    |
        | 4097 | 4095 | 8193 | 4095 | P0 P1    | Q0 Q1 Q2 |
        | 1    | 4095 | 8193 | 0    | P0       | Q0 Q1 Q2 |
        | 8193 | 1    | 4095 | 4095 | P0 P1 P2 | Q0 Q1    |

    Scenario Outline: three parts starting mid-page, <length> bytes from byte <start>
      Given a 4095-byte buffer "P" starting 1 bytes into its first page
      And a 4097-byte buffer "Q" starting 2048 bytes into its first page
      And an 8193-byte buffer "R" starting 4095 bytes into its first page
      And an MDL chain "N" over buffers "P", "Q" and "R"
      And the client has created a GPADL "G" from MDL "N" starting at byte <start> for <length> bytes
      When the server maps "G" for write access
      Then the MDL chain of "G" is:
        | byte offset | byte count | pages    |
        | <o1>        | <c1>       | <pages1> |
        | <o2>        | <c2>       | <pages2> |
        | <o3>        | <c3>       | <pages3> |

      Examples:
        | start | length | o1   | c1   | pages1 | o2   | c2   | pages2 | o3   | c3   | pages3   |
        | 0     | 0      | 1    | 4095 | P0     | 2048 | 4097 | Q0 Q1  | 4095 | 8193 | R0 R1 R2 |
        | 4000  | 8000   | 4001 | 95   | P0     | 2048 | 4097 | Q0 Q1  | 4095 | 3808 | R0 R1    |

    @requires:trace
    Scenario Outline: the GPADL_HEADER of three parts starting mid-page, <length> bytes from byte <start>
      Given a 4095-byte buffer "P" starting 1 bytes into its first page
      And a 4097-byte buffer "Q" starting 2048 bytes into its first page
      And an 8193-byte buffer "R" starting 4095 bytes into its first page
      And an MDL chain "N" over buffers "P", "Q" and "R"
      When the client creates a GPADL "G" from MDL "N" starting at byte <start> for <length> bytes
      Then the create succeeds
      And the create's GPADL_HEADER describes the ranges:
        | byte offset | byte count | pages    |
        | <o1>        | <c1>       | <pages1> |
        | <o2>        | <c2>       | <pages2> |
        | <o3>        | <c3>       | <pages3> |

      Examples:
        | start | length | o1   | c1   | pages1 | o2   | c2   | pages2 | o3   | c3   | pages3   |
        | 0     | 0      | 1    | 4095 | P0     | 2048 | 4097 | Q0 Q1  | 4095 | 8193 | R0 R1 R2 |
        | 4000  | 8000   | 4001 | 95   | P0     | 2048 | 4097 | Q0 Q1  | 4095 | 3808 | R0 R1    |

    Scenario: two parts of a three-part chain from the middle of the second, on a page boundary
      Given a 4095-byte buffer "P" starting 1 bytes into its first page
      And a 4097-byte buffer "Q" starting 2048 bytes into its first page
      And an 8193-byte buffer "R" starting 4095 bytes into its first page
      And an MDL chain "N" over buffers "P", "Q" and "R"
      And the client has created a GPADL "G" from MDL "N" starting at byte 6144 for 2049 bytes
      When the server maps "G" for write access
      Then the MDL chain of "G" is:
        | byte offset | byte count | pages |
        | 1           | 2048       | Q1    |
        | 4095        | 1          | R0    |

  @CREATE-17 @normative @requires:mdl @spec:KMCL-MDL-4 @spec:KMCL-MAP-3 @half:guest @half:host
  Rule: The read-only flag of a create from an MDL means what it means for a buffer
    A GPADL created from an MDL with the read-only flag cannot be mapped for write; one created
    without it can.
    Source: spec KMCL-MDL-4, KMCL-MAP-3

    Scenario Outline: a write map of a GPADL created from an MDL with flags <flags>
      Given an 8192-byte buffer "B"
      And an MDL "M" over buffer "B"
      And the client has created a GPADL "G" from MDL "M" starting at byte 0 for 0 bytes with flags <flags>
      When the server maps "G" for write access
      Then the map <result>

      Examples:
        | flags                         | result   |
        | 0                             | succeeds |
        | VMBUS_CHANNEL_GPADL_READ_ONLY | fails    |

  @CREATE-18 @reference @choice:G15 @requires:mdl @spec:KMCL-MDL-2 @spec:KMCL-MDL-3 @half:guest
  Rule: A create from an MDL whose start offset and length run past the end of the chain fails with STATUS_INVALID_PARAMETER
    Bytes beyond the last MDL of the chain are memory the client did not describe; the reference
    model refuses such a create, as it refuses a byte count beyond a buffer, instead of shortening
    the description, and writes out no handle. A start offset at or past the end of the chain leaves
    nothing to describe, whatever the length.
    Source: spec KMCL-MDL-2, KMCL-MDL-3; choice G15 (README.md#choices-where-the-docs-are-silent)

    Background:
      Given a 4096-byte buffer "A"
      And an 8192-byte buffer "B"
      And an MDL chain "M" over buffers "A" and "B"

    Scenario Outline: <length> bytes from byte <start> of a 12288-byte chain
      When the client creates a GPADL "G" from MDL "M" starting at byte <start> for <length> bytes
      Then the create fails with STATUS_INVALID_PARAMETER
      And no GPADL handle is returned

      Examples:
        | start | length |
        | 0     | 12289  |
        | 5000  | 7289   |
        | 12287 | 2      |
        | 12288 | 0      |
        | 12288 | 1      |
        | 20000 | 0      |

  @CREATE-19 @reference @choice:G16 @requires:trace @spec:LINUX-CHANNEL-5 @spec:FREEBSD-CHAN-2 @spec:LINUX-HYPERV-4 @half:guest
  Rule: Every GPADL_BODY that a create sends carries msgnumber 0
    No source says what GPADL_BODY's msgnumber means: Linux and FreeBSD leave it 0, and OpenVMM
    ignores it; the reference model sends 0 in every GPADL_BODY of every GPADL, however many
    bodies its page list needs.
    Source: spec LINUX-CHANNEL-5, FREEBSD-CHAN-2, LINUX-HYPERV-4; choice G16 (README.md#choices-where-the-docs-are-silent)

    Scenario Outline: a <pages>-page GPADL
      Given a <size>-byte buffer "B"
      When the client creates a GPADL "G" for buffer "B"
      Then the create succeeds
      And every GPADL_BODY message carrying "G" has msgnumber 0

      Examples:
        | size   | pages |
        | 163840 | 40    |
        | 409600 | 100   |
