export const shortcuts = {
  title: 'Keyboard shortcuts',
  /** The sidebar's button that opens the list. */
  open: 'Keyboard shortcuts',
  list: {
    search: 'Search messages',
    newChat: 'New chat',
    stop: 'Stop the answer',
    help: 'Show these shortcuts',
    send: 'Send the message',
    newLine: 'New line in the message',
  },
  notTyping: 'when not typing in a field',
  close: 'Close',
};
