# Run for every local recipient before the recipient's own Sieve script (Dovecot Pigeonhole's
# sieve_before) once mailetcontainer.xml's DeliverySieve names it:
#     <before>file://conf/sieve-before.sieve</before>
# Read once at start; a syntax error here stops the server from starting.
#
# This one files spam at the tag2 level (SpamMark's X-Spam-Flag: YES) into Junk, as the
# JunkFolder mailet already does; a fileinto in the user's own script, run after it, still wins.
require "fileinto";
if header :is "X-Spam-Flag" "YES" {
    fileinto "Junk";
}
