Feature: What the guest sends for a GPADL (GPADL_HEADER, GPADL_BODY), read from the trace
  A create turns the GPADL's page list into channel messages of at most 240 bytes: one
  GPADL_HEADER (20 fixed bytes, one 8-byte range header, then up to 26 page numbers), then as
  many GPADL_BODY messages (16 fixed bytes, then up to 28 page numbers) as the rest needs. Every
  public guest (Linux, FreeBSD, OpenVMM's client, the UEFI firmware) splits the same way, so these
  are protocol facts, checked in the `trace` of the implementation. Page counts here are pages
  spanned: a buffer that starts 100 bytes into a page spans one page more than its size in pages.
  The other end of the limit, a single-range GPADL of more than 8190 pages being refused, is
  CREATE-09; the refusal sending nothing is CREATE-07's kind of rule and is not repeated here.

  Background:
    Given an open channel

  @WIRE-01 @normative @requires:trace @spec:LINUX-CHANNEL-1 @spec:FREEBSD-REG-1 @spec:INFER-5 @spec:OPENVMM-PROTOCOL-2 @half:guest
  Rule: A GPADL's page numbers travel 26 in the GPADL_HEADER, then 28 in each GPADL_BODY, the last one partial
    The create sends exactly one GPADL_HEADER, carrying the first 26 page numbers (all of them for
    26 pages or fewer), then ceil((N - 26) / 28) GPADL_BODY messages; every body but the last is
    full. An 8190-page GPADL takes 1 header and 292 bodies.
    Source: spec LINUX-CHANNEL-1, FREEBSD-REG-1, INFER-5, OPENVMM-PROTOCOL-2

    Scenario Outline: a <size>-byte buffer <offset> bytes into its first page spans <pages> pages
      Given a <size>-byte buffer "B" starting <offset> bytes into its first page
      When the client creates a GPADL "G" for buffer "B"
      Then the create succeeds
      And the create sent one GPADL_HEADER and <bodies> GPADL_BODY messages
      And the messages of the create carry "<split>" page numbers

      Examples:
        | size     | offset | pages | bodies | split              |
        | 4096     | 0      | 1     | 0      | 1                  |
        | 2        | 4095   | 2     | 0      | 2                  |
        | 106496   | 0      | 26    | 0      | 26                 |
        | 110592   | 0      | 27    | 1      | 26 + 1             |
        | 106496   | 100    | 27    | 1      | 26 + 1             |
        | 221184   | 0      | 54    | 1      | 26 + 28            |
        | 221184   | 1      | 55    | 2      | 26 + 28 + 1        |
        | 225280   | 0      | 55    | 2      | 26 + 28 + 1        |
        | 33546240 | 0      | 8190  | 292    | 26 + 291 × 28 + 16 |
        | 33546239 | 1      | 8190  | 292    | 26 + 291 × 28 + 16 |

  @WIRE-02 @normative @requires:trace @spec:LINUX-CHANNEL-1 @spec:LINUX-HYPERV-3 @spec:LINUX-HYPERV-4 @spec:LINUX-HV-1 @half:guest
  Rule: A GPADL_HEADER is 28 + 8 bytes per page number it carries, a GPADL_BODY 16 + 8 per page number
    So a one-page GPADL's header is 36 bytes, a full header 236, a full body 240 (the whole SynIC
    payload), and a last body with k page numbers 16 + 8k; no message is longer than 240 bytes.
    Source: spec LINUX-CHANNEL-1, LINUX-HYPERV-3, LINUX-HYPERV-4, LINUX-HV-1

    Scenario Outline: a <size>-byte buffer <offset> bytes into its first page
      Given a <size>-byte buffer "B" starting <offset> bytes into its first page
      When the client creates a GPADL "G" for buffer "B"
      Then the create succeeds
      And the messages of the create are "<sizes>" bytes long

      Examples:
        | size     | offset | sizes                 |
        | 4096     | 0      | 36                    |
        | 2        | 4095   | 44                    |
        | 106496   | 0      | 236                   |
        | 110592   | 0      | 236 + 24              |
        | 106496   | 100    | 236 + 24              |
        | 221184   | 0      | 236 + 240             |
        | 225280   | 0      | 236 + 240 + 24        |
        | 33546240 | 0      | 236 + 291 × 240 + 144 |

  @WIRE-03 @normative @requires:trace @spec:LINUX-CHANNEL-3 @spec:LINUX-CHANNEL-5 @spec:LINUX-HYPERV-4 @half:guest
  Rule: The page numbers across GPADL_HEADER and GPADL_BODY are the buffer's pages in order, and every GPADL_BODY names the header's GPADL
    Read in the order the messages were sent, the header's page numbers followed by each body's
    are the page frame numbers (4 KiB units) of the buffer, first page to last. A GPADL_BODY has
    no channel id, only the GPADL id, which is the one the header carried.
    Source: spec LINUX-CHANNEL-3, LINUX-CHANNEL-5, LINUX-HYPERV-4

    Scenario Outline: a <size>-byte buffer <offset> bytes into its first page
      Given a <size>-byte buffer "B" starting <offset> bytes into its first page
      When the client creates a GPADL "G" for buffer "B"
      Then the create succeeds
      And the page numbers of the create's messages are the pages of buffer "B", in order

      Examples:
        | size     | offset |
        | 4096     | 0      |
        | 106496   | 100    |
        | 225280   | 0      |
        | 33546240 | 0      |
        | 4095     | 1      |
        | 4097     | 2048   |
        | 8193     | 4095   |
        | 110592   | 1      |
        | 221184   | 2048   |

    Scenario Outline: the GPADL_BODY messages of a <pages>-page GPADL
      Given a <size>-byte buffer "B"
      When the client creates a GPADL "G" for buffer "B"
      Then the create succeeds
      And every GPADL_BODY of the create names the GPADL of its GPADL_HEADER, "G"

      Examples:
        | size     | pages |
        | 110592   | 27    |
        | 225280   | 55    |
        | 33546240 | 8190  |

  @WIRE-04 @normative @requires:trace @spec:LINUX-CHANNEL-2 @spec:LINUX-HYPERV-3 @spec:FREEBSD-CHAN-2 @half:guest
  Rule: The GPADL_HEADER declares one range of the GPADL's bytes and range_buflen 8 + 8 per page, body pages included
    A buffer's GPADL is one GPA range: rangecount 1, byte_count the GPADL's length, byte_offset where
    the buffer starts in its first page (0 when page-aligned), and range_buflen the size of the whole
    range buffer, 8 + 8·N for N pages, even when page numbers continue in GPADL_BODY messages.
    Source: spec LINUX-CHANNEL-2, LINUX-HYPERV-3, FREEBSD-CHAN-2

    Scenario Outline: a <size>-byte buffer <offset> bytes into its first page
      Given a <size>-byte buffer "B" starting <offset> bytes into its first page
      When the client creates a GPADL "G" for buffer "B"
      Then the create succeeds
      And the GPADL_HEADER describes one range of <size> bytes starting <offset> bytes into its first page, with range_buflen <buflen>

      Examples:
        | size     | offset | buflen |
        | 4096     | 0      | 16     |
        | 1        | 0      | 16     |
        | 5000     | 100    | 24     |
        | 106496   | 0      | 216    |
        | 106496   | 100    | 224    |
        | 225280   | 0      | 448    |
        | 33546240 | 0      | 65528  |
        | 4095     | 0      | 16     |
        | 4097     | 0      | 24     |
        | 8193     | 0      | 32     |
        | 4095     | 1      | 16     |
        | 4096     | 1      | 24     |
        | 4097     | 1      | 24     |
        | 8193     | 1      | 32     |
        | 4095     | 2048   | 24     |
        | 4096     | 2048   | 24     |
        | 4097     | 2048   | 24     |
        | 8193     | 2048   | 32     |
        | 4095     | 4095   | 24     |
        | 4096     | 4095   | 24     |
        | 4097     | 4095   | 24     |
        | 8193     | 4095   | 32     |

  @WIRE-05 @normative @requires:trace @spec:LINUX-HYPERV-1 @spec:LINUX-HYPERV-2 @spec:LINUX-HYPERV-4 @spec:LINUX-HYPERV-5 @spec:LINUX-HYPERV-6 @half:guest
  Rule: A message that travels as bytes is its layout: its type number, 8-byte header, fixed fields and size
    Where the trace gives a message's bytes, they decode, by the layouts of Linux's hyperv.h, to the
    message the trace records (GPADL_HEADER 8, GPADL_BODY 9, GPADL_CREATED 10, GPADL_TEARDOWN 11,
    GPADL_TORNDOWN 12, OPENCHANNEL 5 and so on), with padding 0, and are exactly as long as that
    layout (GPADL_CREATED 20 bytes, GPADL_TEARDOWN 16, GPADL_TORNDOWN 12). Only messages that carry
    bytes are checked: an implementation whose trace carries none passes this rule without being
    measured by it, and differs from the reference only on WIRE-07.
    Source: spec LINUX-HYPERV-1, LINUX-HYPERV-2, LINUX-HYPERV-4, LINUX-HYPERV-5, LINUX-HYPERV-6

    Scenario: the messages of an open, a create, a delete and a close
      Given a 163840-byte buffer "B"
      And the client has created a GPADL "G" for buffer "B"
      And the client has deleted "G"
      When the client disables the channel
      Then every message in the trace that carries bytes is the encoding of the message it records

    @requires:lifecycle
    Scenario: the messages of a rescind and a release
      Given the server has disabled the channel
      When the client cleans up the channel
      Then every message in the trace that carries bytes is the encoding of the message it records

  @WIRE-06 @normative @requires:trace @spec:LINUX-HYPERV-2 @spec:LINUX-HYPERV-3 @half:guest
  Rule: A GPADL_HEADER's bytes hold its fields at the offsets of the layout
    Type 8 at byte 0, padding 0 at 4, child_relid at 8, the GPADL id at 12, range_buflen (u16) at
    16, rangecount (u16) at 18, then the range: byte_count at 20, byte_offset at 24 and the first
    page number (u64) at 28. Checked only when the trace carries the header's bytes; without them
    the rule passes unmeasured, as WIRE-05 does, and WIRE-07 shows the difference.
    Source: spec LINUX-HYPERV-2, LINUX-HYPERV-3

    Scenario: a 5000-byte buffer 100 bytes into its first page
      Given a 5000-byte buffer "B" starting 100 bytes into its first page
      When the client creates a GPADL "G" for buffer "B"
      Then the create succeeds
      And the bytes of the GPADL_HEADER of "G" hold, at their offsets:
        | offset | field                 | type | value                 |
        | 0      | msgtype               | u32  | 8                     |
        | 4      | padding               | u32  | 0                     |
        | 8      | child_relid           | u32  | the id of the channel |
        | 12     | gpadl                 | u32  | the handle of "G"     |
        | 16     | range_buflen          | u16  | 24                    |
        | 18     | rangecount            | u16  | 1                     |
        | 20     | range[0].byte_count   | u32  | 5000                  |
        | 24     | range[0].byte_offset  | u32  | 100                   |
        | 28     | range[0].pfn_array[0] | u64  | page 0 of buffer "B"  |
        | 36     | range[0].pfn_array[1] | u64  | page 1 of buffer "B"  |

  @WIRE-07 @reference @requires:trace @spec:INFER-6 @half:guest
  Rule: The trace carries the bytes of every channel message
    The contract makes a message event's bytes optional; the reference model sends every message
    as its encoding and traces those bytes, so WIRE-05 and WIRE-06 check it byte for byte. An
    implementation that traces messages as values only differs here, and nowhere else.
    Source: spec INFER-6

    Scenario: the messages of an open and a create
      Given a 163840-byte buffer "B"
      When the client creates a GPADL "G" for buffer "B"
      Then every channel message in the trace carries its bytes
